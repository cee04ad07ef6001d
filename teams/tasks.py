"""Scheduled work of the service teams: none of its own. The reminders to captains of
organizations not visited in time (teams.selectors.units_not_visited) are sent by the
notification centre, the floor above."""
