"""The launch kit (content format v1.2): agendas, calendars, the working agreement, the contact sheet."""
