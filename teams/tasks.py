"""Scheduled work of the service teams: none of its own. The reminders to captains of
organizations not visited in time (teams.selectors.contact_lapses) are sent by the
notification centre, the floor above (notifications.team_reminders, the daily task
`notifications.team_contact_reminders`)."""
