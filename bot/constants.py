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
