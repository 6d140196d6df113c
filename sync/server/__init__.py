"""The reference provincial server: FastAPI over SQLAlchemy, blobs on the filesystem."""
