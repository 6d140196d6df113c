"""The Qt window of the counter: widgets, models and dialogs that call the services."""
