"""User-facing messages, kept as constants so tests assert on the exact words."""

SUBDOMAIN_FORMAT = (
    "Use 3–40 characters: lowercase letters, digits and hyphens, starting with a letter "
    "and not ending with a hyphen."
)
SUBDOMAIN_RESERVED = "That subdomain is reserved; try another."
SUBDOMAIN_TAKEN = "That subdomain is already taken; try another."
SIGNUP_RATE_LIMITED = "Too many signups from your network. Please wait a while and try again."
HANDOFF_INVALID = "This sign-in link is invalid or has expired. Please log in with your password."
ORGANIZATION_NAME_REQUIRED = "Enter your organization's name."
MEMBERS_OWNER_ONLY = "Only the workspace owner can change the team."
MEMBER_EXISTS = "That person is already a member of this workspace."
MEMBER_CANNOT_REMOVE_SELF = "You can't remove yourself."
CHANNEL_PINNED = (
    "This workspace is kept on the stable channel by the Awan team, so beta can't be turned on "
    "here. Contact support if you need it."
)
CHANNEL_UNKNOWN = "Unknown channel {channel!r}: use 'stable' or 'beta'."
CHANNEL_OWNER_ONLY = "Only the workspace owner can change the release channel."
LOGIN_INVALID = "That email and password don't match an account in this workspace."
LOGIN_THROTTLED = (
    "Too many failed sign-in attempts. For your security, signing in is paused for a few "
    "minutes; try again later or reset your password."
)
PASSWORD_RESET_THROTTLED = (
    "Too many password-reset requests. Please wait an hour before asking again, and check your "
    "spam folder for the emails already sent."
)
LOGIN_REQUIRED = "Log in to this workspace to continue."
BILLING_OWNER_ONLY = (
    "Only the workspace owner can choose a plan or manage billing. Ask your owner to do it."
)
WORKSPACE_OWNER_ONLY = "Only the workspace owner can change the workspace's settings."
WORKSPACE_SUSPENDED = (
    "This workspace is suspended. Its data is kept safe, but nobody can sign in or make changes "
    "until it is reactivated. Contact support to reactivate it."
)
NAME_CONTROL_CHARACTERS = (
    "Use letters, digits, spaces and punctuation only: line breaks and other control "
    "characters aren't allowed in a name."
)
WORKSPACE_LOOKUP_THROTTLED = (
    "Too many lookups. Please wait an hour, and check your inbox for the links already sent."
)
WORKSPACE_LOOKUP_SENT = (
    "If {email} can sign in to any workspace, we've emailed it a link to each one. The email "
    "should arrive within a minute."
)
FEATURE_BETA_ONLY = (
    "{feature} is a beta feature, and this workspace is on the stable channel, so it isn't "
    "available here. The workspace owner can join the beta channel in Settings to use it."
)
FEATURE_BETA_ONLY_PINNED = (
    "{feature} is a beta feature, and this workspace is kept on the stable channel by the Awan "
    "team, so it isn't available here. Contact support if you need it."
)
FEATURE_OFF = "{feature} is turned off for this workspace."
PASSWORD_LIKE_EMAIL = "The password is too similar to the email address."
WORKSPACE_PROVISIONING = (
    "Your workspace is being set up. This page moves on by itself in a few seconds."
)
TEAM_ADMINS_ONLY = "Only the workspace's owners and admins can change the team."
ADMINS_ONLY = "Only the workspace's owners and admins can do that."
OWNERS_ONLY = "Only an owner can make someone an owner or change an owner's role."
LAST_OWNER = (
    "A workspace always needs an owner: make someone else an owner first, then change this."
)
INVITATION_INVALID = (
    "This invitation link is not valid any more: it was used, revoked, or it expired. Ask the "
    "person who invited you to send a new one."
)
INVITATION_PENDING = "There is already a pending invitation for that email: resend it instead."
MEMBER_NOT_FOUND = "That person is not a member of this workspace."
WEBHOOK_URL_SCHEME = "Use an http:// or https:// URL with a host name."
WEBHOOK_URL_UNRESOLVABLE = "That host name doesn't resolve: check the spelling."
WEBHOOK_URL_PRIVATE = (
    "That address is inside a private network (or this server itself): webhooks can only be "
    "sent to public addresses."
)
WEBHOOK_EVENTS_INVALID = "Choose at least one of the listed events."

# The tenant lifecycle (tenants.lifecycle): operators' console, commands and the owner's settings.
LIFECYCLE_REASON_REQUIRED = "Give a reason: it is recorded in the audit trail (and shown to users)."
LIFECYCLE_CANNOT_SUSPEND = "Only an active workspace can be suspended (this one is {status})."
LIFECYCLE_NOT_SUSPENDED = (
    "This workspace isn't suspended (it is {status}), so there is nothing to reactivate."
)
LIFECYCLE_PROVISIONING = "This workspace is still being set up: wait until it is active."
LIFECYCLE_GRACE_NEGATIVE = "The grace period can't be negative."
LIFECYCLE_ALREADY_PENDING = "This workspace is already set to be deleted on {due}."
LIFECYCLE_NOT_PENDING = "This workspace isn't pending deletion (it is {status}): nothing to cancel."
WORKSPACE_PENDING_DELETION = (
    "This workspace will be deleted on {due}. Until then it is read-only: you can still sign in, "
    "look around and export your data."
)
DELETE_NOW_STRIPE_UNREACHABLE = (
    "{subdomain}: its Stripe subscription could not be cancelled ({detail}), so nothing was "
    "deleted. Try again once Stripe answers."
)
DELETION_CONFIRM_MISMATCH = "Type the workspace's address ({subdomain}) exactly to confirm."
DELETION_CANCEL_NOT_YOURS = (
    "This deletion was requested by the Awan team, so only they can cancel it. Contact support."
)
PASSWORD_INCORRECT = "That password is not right."
API_KEY_FORM_REUSED = (
    "That form was already sent, and its key was made and shown once: it is in the list below. "
    "Lost it? Revoke it and create a new one."
)
