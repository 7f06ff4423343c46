"""Every action_id, callback_id and block_id, shared by the builders and the listeners."""

# /thanks receipt
THANKS_SHARE = "thanks_share"

# /helped claims
CLAIM_CONFIRM = "claim_confirm"
CLAIM_DECLINE = "claim_decline"

# Shortcuts and their modals
RECORD_HELP = "record_help"  # message shortcut callback_id and its modal's callback_id
THANK_SOMEONE = "thank_someone"  # global shortcut callback_id and its modal's callback_id
HELPED_MODAL = "helped_submit"

# Modal blocks and inputs
NOTE_BLOCK = "note_block"
NOTE_INPUT = "note_input"
PEOPLE_BLOCK = "people_block"
PEOPLE_INPUT = "people_input"
PERSON_BLOCK = "person_block"
PERSON_INPUT = "person_input"

# Introductions
INTRO_ACCEPT = "intro_accept"
INTRO_DECLINE = "intro_decline"
INTRO_CONNECTED = "intro_connected"
INTRO_REQUEST_MAKE = "intro_request_make"
INTRO_REQUEST_DECLINE = "intro_request_decline"
INTRO_MODAL = "intro_submit"  # the intro modal's callback_id
INTRO_A_BLOCK = "intro_a_block"
INTRO_A_INPUT = "intro_a_input"
INTRO_B_BLOCK = "intro_b_block"
INTRO_B_INPUT = "intro_b_input"
INTRO_REASON_BLOCK = "intro_reason_block"
INTRO_REASON_INPUT = "intro_reason_input"
