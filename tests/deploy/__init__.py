"""Tests of the deployment files: compose stacks, Dockerfile, .env.example."""
