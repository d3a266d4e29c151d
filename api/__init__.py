"""The front ends: the HTTP API and chat page (`api.http`), the command line
(`api.cli`) and the Slack app (`api.slack`), and `api.composition`, the one place that
builds the knowledge base from settings. Front ends translate between their protocol and
the assistant; they never re-implement search, answers or citations."""
