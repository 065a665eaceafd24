"""Plans and subscriptions (public schema) arrive with the [billing] issue."""
