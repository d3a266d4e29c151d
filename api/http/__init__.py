"""The HTTP API: `app.create_app` receives a built `Kennisbank`; the routes (one module
per concern) translate between HTTP and the assistant; the chat page is `static/`."""
