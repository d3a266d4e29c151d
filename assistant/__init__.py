"""The answering side: questions in, cited answers out. `service.Kennisbank` is what the
front ends call; `search/` finds passages, `answers/` composes and checks answers,
`question` reads what a question asks, `conversation` resolves follow-ups, `state/` keeps
what every worker must share, `evaluation/` measures it all. It never imports `ingest`."""
