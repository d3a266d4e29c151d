"""Stand-ins for the outside systems, served on a loopback port: a real HTTP server for
any ASGI app, a fake Slack Web API and a fake OpenAI-compatible endpoint. The tests and
the benchmarks drive the real front ends against them; none of it ships with the product."""
