"""Tests of the front ends as their users meet them: the HTTP API, the OpenAI endpoint,
the chat page in a browser, Slack and the command line."""
