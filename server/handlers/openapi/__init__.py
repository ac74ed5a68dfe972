"""The OpenAPI 3.0 document of the REST API, built from one path table per resource."""
