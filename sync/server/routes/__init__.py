"""The provincial server's API routers, one module per concern; ``app.create_app`` mounts them."""
