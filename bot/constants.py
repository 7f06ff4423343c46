"""Every action_id, callback_id and block_id, shared by the builders and the listeners."""

# /thanks receipt
THANKS_SHARE = "thanks_share"

# /helped claims
CLAIM_CONFIRM = "claim_confirm"
CLAIM_DECLINE = "claim_decline"
CLAIM_WITHDRAW = "claim_withdraw"  # the one who claimed takes back a claim still waiting

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

# Views: /mutual me · with · summary · export · forget · config, and App Home
FORGET_CONFIRM = "forget_confirm"
FORGET_CANCEL = "forget_cancel"
CONFIG_SUBMIT = "config_submit"
HOME_THANK = "home_thank"
HOME_INTRO = "home_intro"
HOME_NUDGES_ON = "home_nudges_on"
HOME_NUDGES_OFF = "home_nudges_off"
HOME_SNOOZE = "home_snooze"
HOME_UNSNOOZE = "home_unsnooze"
HOME_ACTIONS_BLOCK = "home_actions"
HOME_SETTINGS_BLOCK = "home_settings"
# config_submit inputs: each block_id is also its input's action_id
CFG_NUDGE_CHANNEL = "cfg_nudge_channel"
CFG_SUMMARY_WEEKDAY = "cfg_summary_weekday"
CFG_SUMMARY_HOUR = "cfg_summary_hour"
CFG_TIMEZONE = "cfg_timezone"
CFG_THANK_EMOJI = "cfg_thank_emoji"
CFG_DIGEST = "cfg_digest"
CFG_WINDOW_DAYS = "cfg_window_days"
CFG_ONE_SIDED_MIN = "cfg_one_sided_min"
CFG_PERSON_COOLDOWN = "cfg_person_cooldown_days"
CFG_PAIR_COOLDOWN = "cfg_pair_cooldown_days"
CFG_CLAIM_EXPIRY = "cfg_claim_expiry_days"
CFG_CLAIM_REMINDER = "cfg_claim_reminder_days"
CFG_INTRO_REMINDER = "cfg_intro_reminder_days"
CFG_INTRO_EXPIRY = "cfg_intro_expiry_days"
CFG_INTRO_SILENT = "cfg_intro_silent_days"
CFG_DELIVERY_RETRY = "cfg_delivery_retry_hours"

CFG_OFFER_REMINDER = "cfg_offer_reminder_days"
CFG_ASK_SUGGEST = "cfg_ask_suggest_days"
CFG_ASK_EXPIRY = "cfg_ask_expiry_days"
CFG_OVER_GIVER_PEOPLE = "cfg_over_giver_people"
CFG_OVER_GIVER_BACK = "cfg_over_giver_back_max"

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

# Nudges (scheduled private suggestions)
NUDGE_THANK = "nudge_thank"
NUDGE_HELPED = "nudge_helped"
NUDGE_SNOOZE = "nudge_snooze"
NUDGE_MUTE_PAIR = "nudge_mute_pair"

# Closing the loop: undo, withdrawing a request, "how did it go?", and settings for them
THANKS_UNDO = "thanks_undo"
# After the 15 minutes, from `/mutual with @x` or the Home (behind a confirm dialog).
THANKS_TAKE_BACK = "thanks_take_back"
INTRO_REQUEST_WITHDRAW = "intro_request_withdraw"
FOLLOWUP_WORKED = "followup_worked"
FOLLOWUP_ONGOING = "followup_ongoing"
FOLLOWUP_NOT_NEEDED = "followup_not_needed"
INTRO_WORTH_IT = "intro_worth_it"
INTRO_NOT_WORTH_IT = "intro_not_worth_it"
FOLLOWUP_WORDS_BLOCK = "followup_words"
FOLLOWUP_WORDS_INPUT = "followup_words_input"
CFG_FORWARD_MIN = "cfg_forward_min"
CFG_FOLLOWUP_DAYS = "cfg_followup_days"
CFG_INTRO_FOLLOWUP_DAYS = "cfg_intro_followup_days"
CFG_GUESTS = "cfg_guests"
# In a questions DM (several questions in one message), each question's buttons and box
# carry its own suffix: `question_actions.<n>`, `followup_words_block.<n>`.
QUESTION_ACTIONS_BLOCK = "question_actions"
CFG_ONE_SIDED_SPREAD = "cfg_one_sided_spread"
CFG_ONE_SIDED_QUIET = "cfg_one_sided_quiet"
CFG_ASK_AGAIN = "cfg_ask_again"
CFG_QUESTION_GAP = "cfg_question_gap"
CFG_CHANNEL_PROBLEM = "cfg_channel_problem"  # the warning shown while the channel is private

# Asks and offers (`/ask`, `/offer`, `/mutual asks`)
ASK_OFFER = "ask_offer"  # "I can help", on the channel post
ASK_SOLVED = "ask_solved"  # the asker picks who helped
ASK_ACCEPT = "ask_accept"  # the asker takes up an offer: a group DM of the two
ASK_WITHDRAW = "ask_withdraw"  # the asker no longer needs it
OFFER_DONE = "offer_done"  # on the reminder to a helper: "Done"
OFFER_CANNOT = "offer_cannot"  # … "Can't after all"
OFFER_REMOVE = "offer_remove"  # remove an entry from your "ask me about" list
ASKS_PAUSE = "asks_pause"  # "Pause incoming asks for 2 weeks"
ASK_FOR_HELP = "ask_for_help"  # global shortcut callback_id
ASK_MODAL = "ask_submit"  # the shortcut's modal
ASK_TEXT_BLOCK = "ask_text_block"
ASK_TEXT_INPUT = "ask_text_input"
ASK_WHERE_BLOCK = "ask_where_block"
ASK_WHERE_INPUT = "ask_where_input"
SOLVED_MODAL = "ask_solved_submit"  # "who helped?" when marking an ask solved
SOLVED_OFFERS_BLOCK = "solved_offers_block"
SOLVED_OFFERS_INPUT = "solved_offers_input"
SOLVED_OTHERS_BLOCK = "solved_others_block"
SOLVED_OTHERS_INPUT = "solved_others_input"

# Setting Mutual up: the welcome DM's and an admin's Home "Open settings", the settings'
# second step (Advanced), the time-zone select's options, and the Home checklist
SETUP_OPEN = "setup_open"
CONFIG_ADVANCED = "config_advanced"  # the button on the settings modal that pushes Advanced
CONFIG_ADVANCED_SUBMIT = "config_advanced_submit"  # Advanced's callback_id
CFG_ADVANCED_BLOCK = "cfg_advanced"
SETUP_BLOCK = "setup_checklist"
SETUP_ACTIONS_BLOCK = "setup_actions"
