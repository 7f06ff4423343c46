"""Slack's limits on what an app may send, in one table: the builders keep within them, and
every local stand-in for Slack's Web API (the test suite's, the simulated workspace's)
refuses whatever breaks one
(bot/blocks/checks.py), on every surface — messages, updates, ephemerals, `response_url`
posts, HTTP ack bodies, Home tabs and modals.

Each number cites the Slack reference page that states it. Lengths count characters of the
string as sent (after Mutual's own `&amp;`/`&lt;`/`&gt;` escaping)."""

from __future__ import annotations

# -- surfaces ------------------------------------------------------------------------------
# https://docs.slack.dev/reference/block-kit/blocks ("up to 50 blocks in each message")
MESSAGE_BLOCKS = 50
# https://docs.slack.dev/reference/views/modal-views and .../home-tab-views ("Max of 100 blocks")
VIEW_BLOCKS = 100
# Not documented: Slack answers `msg_blocks_too_long` once the text of one message's blocks
# passes roughly 12-13k characters (slackapi/bolt-js issues #2509 and #2867). We keep 12,000.
MESSAGE_BLOCK_TEXT = 12_000
# https://docs.slack.dev/reference/methods/chat.postMessage ("text ... truncated" past 40,000)
MESSAGE_TEXT = 40_000

# -- view objects: https://docs.slack.dev/reference/views/modal-views -------------------------
VIEW_TITLE = 24  # title: plain_text, "max length of 24 characters"
VIEW_BUTTON = 24  # submit and close: "Max length of 24 characters"
PRIVATE_METADATA = 3000  # "Max length of 3000 characters"
CALLBACK_ID = 255  # "Maximum length of 255 characters"
EXTERNAL_ID = 255  # views.open: external_id (same page, "unique ... per-team")

# -- blocks: https://docs.slack.dev/reference/block-kit/blocks ------------------------------
BLOCK_ID = 255  # every block: "Maximum length for this field is 255 characters"
SECTION_TEXT = 3000  # section: "Maximum length for the text in this field is 3000 characters"
SECTION_FIELDS = 10  # section fields: "Maximum number of items is 10"
FIELD_TEXT = 2000  # section fields: "Maximum length for the text in each item is 2000"
HEADER_TEXT = 150  # header: "Maximum length for the text in this field is 150 characters"
CONTEXT_ELEMENTS = 10  # context: "Maximum number of items is 10"
ACTIONS_ELEMENTS = 25  # actions: "There is a maximum of 25 elements in each action block"
INPUT_LABEL = 2000  # input label: "Maximum length ... is 2000 characters"
INPUT_HINT = 2000  # input hint: "Maximum length ... is 2000 characters"
IMAGE_ALT_TEXT = 2000  # image: alt_text "Maximum length ... is 2000 characters"
IMAGE_URL = 3000  # image: image_url "Maximum length ... is 3000 characters"

# -- elements: https://docs.slack.dev/reference/block-kit/block-elements ---------------------
ACTION_ID = 255  # every interactive element: "Maximum length ... is 255 characters"
BUTTON_TEXT = 75  # button text: "Maximum length ... is 75 characters"
BUTTON_VALUE = 2000  # button value: "Maximum length ... is 2000 characters"
BUTTON_URL = 3000  # button url: "Maximum length ... is 3000 characters"
PLACEHOLDER = 150  # every placeholder: "Maximum length ... is 150 characters"
SELECT_OPTIONS = 100  # static select: options "Maximum number of options is 100"
OPTION_GROUPS = 100  # static select: option_groups "Maximum number of option groups is 100"
CHECKBOX_OPTIONS = 10  # checkboxes and radio buttons: "A maximum of 10 options are allowed"
OVERFLOW_OPTIONS = 5  # overflow menu: "Maximum number of options is 5"
TEXT_INPUT_MAX = 3000  # plain_text_input max_length: "Maximum ... 3000"

# -- composition objects: https://docs.slack.dev/reference/block-kit/composition-objects -----
OPTION_TEXT = 75  # option text: "Maximum length for the text in this field is 75 characters"
OPTION_VALUE = 150  # option value: "Maximum length for this field is 150 characters"
OPTION_DESCRIPTION = 75  # option description: "Maximum length ... is 75 characters"
CONFIRM_TITLE = 100  # confirmation dialog title: "Maximum length ... is 100 characters"
CONFIRM_TEXT = 300  # confirmation dialog text: "Maximum length ... is 300 characters"
CONFIRM_BUTTON = 30  # confirmation dialog confirm/deny: "Maximum length ... is 30 characters"
TEXT_OBJECT = 3000  # any text object: "maximum length ... is 3000 characters"

# -- interactivity: https://docs.slack.dev/reference/block-kit/block-elements#external_select -
SUGGESTED_OPTIONS = 100  # a block_suggestion answer: "up to 100 options"
