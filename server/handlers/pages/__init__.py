"""The HTML pages: the admin dashboard, sign-in, the unsubscribe page and the employee web app's shell."""
