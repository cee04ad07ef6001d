"""Scheduled work of the service teams: none of its own. The reminders to captains of
organizations not visited in time (teams.selectors.contact_lapses) are sent by the
notification centre, the floor above (notifications.team_reminders, the daily
reminders' pass over each county, `notifications.daily_reminders`)."""
