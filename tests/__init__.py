"""Tests of the Ward Counter application."""
