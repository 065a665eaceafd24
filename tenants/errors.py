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
