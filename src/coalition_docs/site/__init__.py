"""The public website: plan the pages, the public allow-list view, render."""
