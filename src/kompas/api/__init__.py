"""HTTP adapter: the FastAPI application (:func:`kompas.api.app.create_app`)."""
