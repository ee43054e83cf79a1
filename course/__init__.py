"""The lessons app (and, in course/project/, the site around it)."""
