"""The API's routes, one module per concern; `api.http.app.create_app` includes them."""
