"""Tests that drive headless Chromium."""
