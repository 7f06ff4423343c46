"""Moving around the simulated workspace: `as`, `time`, `inbox`, `home`, `channel`, `dm`,
`people`, and `slack …` to make the simulated Slack misbehave."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from bot.sandbox import payloads
from bot.sandbox.clockwork import Moment, advance
from bot.sandbox.session import LineError, Sandbox
from bot.sandbox.state import BOT_USER_ID, Conversation, Person
from bot.sandbox.when import WhenError, parse_when

RECENT = 5


def become(sb: Sandbox, args: str) -> None:
    _catch_up(sb, switch(sb, args))


def switch(sb: Sandbox, args: str) -> Person:
    """Be someone else from now on (the browser shows what is new in its sidebar)."""
    name = args.strip()
    if not name:
        raise LineError("Who would you like to be? Try `as bob`; `people` lists everyone.")
    person = sb.person(name)
    if person.deleted:
        raise LineError(f"{person.name}'s account is deactivated, so they can't use Slack.")
    if person.is_bot:
        raise LineError(f"{person.name} is a bot; pick a person.")
    sb.state.me = person.id
    sb.say(f"You are {person.name} ({person.real_name}) — {sb.local(person):%a %d %b %H:%M} "
           f"in {person.tz}, in {sb.render.where(sb.here(person).id, person.id)}.", "bold")
    return person


def _catch_up(sb: Sandbox, person: Person) -> None:
    waiting = sb.unseen(person)
    if not waiting:
        sb.note("Nothing new for you.")
        return
    sb.note(f"{len(waiting)} new for you:")
    for msg in waiting:
        sb.show(msg)
    sb.mark_seen(person)


def inbox(sb: Sandbox, args: str) -> None:
    person = sb.person(args.strip()) if args.strip() else sb.me
    if person.id == sb.me.id:
        if sb.unseen(person):
            _catch_up(sb, person)
            return
    else:
        waiting = sb.unseen(person)
        if waiting:
            sb.note(f"{len(waiting)} new for {person.name} (they'll see these as new when you "
                    f"switch with `as {person.name}`):")
            for msg in waiting:
                sb.show(msg, viewer=person.id)
            return
    dm = sb.state.app_dm_of(person.id)
    recent = [m for m in sb.state.messages if m.channel == dm.id and m.visible_to(person.id)][-RECENT:]
    if not recent:
        sb.note(f"Nothing from Mutual for {person.name} yet.")
        return
    latest = "The latest" if len(recent) == 1 else f"The last {len(recent)}"
    sb.note(f"Nothing new for {person.name}. {latest} in their DM with Mutual:")
    for msg in recent:
        sb.show(msg, viewer=person.id)


def home(sb: Sandbox, args: str = "") -> None:
    me = sb.me
    dm = sb.state.app_dm_of(me.id)
    sb.ws.tick()
    sb.check(sb.ws.post_event(payloads.home_opened(me, dm, sb.state.homes.get(me.id))), "app_home_opened")
    sb.ws.settle()
    sb.ws.slack.take_changes()  # the Home tab itself is shown below
    sb.show_home(me)
    sb.report()


def install(sb: Sandbox, args: str = "") -> None:
    """Someone adds Mutual to the workspace. With a bot token (as the sandbox runs it) Slack
    tells the app nothing at install; it shows the installer Mutual's Home, and that is when
    Mutual meets them: the first admin or owner it meets gets its welcome."""
    admins = [p for p in sb.state.people.values() if p.is_admin and not p.deleted and not p.is_bot]
    person = sb.person(args.strip()) if args.strip() else (admins[0] if admins else sb.me)
    if person.deleted or person.is_bot:
        raise LineError(f"{person.name} can't install apps; try `install erin`.")
    sb.state.me = person.id
    sb.say(f"{person.name} ({person.real_name}) adds Mutual to the workspace; Slack opens its "
           "Home tab for them.", "bold")
    dm = sb.state.app_dm_of(person.id)
    sb.ws.tick()
    sb.check(sb.ws.post_event(payloads.home_opened(person, dm, sb.state.homes.get(person.id))),
             "app_home_opened")
    sb.ws.settle()
    sb.report()  # the welcome, if this is the first admin Mutual meets
    sb.show_home(person)
    sb.mark_seen(person)


def channel(sb: Sandbox, args: str) -> None:
    name = args.strip()
    if not name:
        raise LineError("Which channel? Try `channel #general` or `channel #random`.")
    conv = sb.state.channel_named(name)
    if conv is None:
        names = ", ".join(f"#{c.name}" for c in sb.state.conversations.values() if c.kind == "channel")
        raise LineError(f"There's no channel {name}; there are {names}.")
    if sb.me.id not in conv.members:
        raise LineError(f"You're not in #{conv.name}.")
    _go(sb, conv)


def dm(sb: Sandbox, args: str) -> None:
    me = sb.me
    handles = args.replace(",", " ").split()
    if not handles or [h.lstrip("@").lower() for h in handles] == ["mutual"]:
        _go(sb, sb.state.app_dm_of(me.id))
        return
    people = {sb.person(h).id for h in handles} - {me.id}
    if not people:
        raise LineError("That's you — name someone else, or just `dm` for your DM with Mutual.")
    for person_id in people:
        if sb.state.people[person_id].deleted:
            raise LineError(f"{sb.render.person(person_id)}'s account is deactivated.")
    wanted = sorted(people | {me.id})
    # A group DM Mutual started with exactly these people (an intro) is the one they'd open.
    for conv in sb.state.conversations.values():
        if conv.kind == "mpim" and sorted(conv.people) == wanted:
            _go(sb, conv)
            return
    _go(sb, sb.state.conversation_of(wanted))


def _go(sb: Sandbox, conv: Conversation) -> None:
    me = sb.me
    sb.state.where[me.id] = conv.id
    recent = [m for m in sb.state.messages if m.channel == conv.id and m.visible_to(me.id)][-RECENT:]
    sb.say(f"You're in {sb.render.where(conv.id, me.id)}.", "bold")
    for msg in recent:
        sb.show(msg)
    if not recent:
        sb.note("No messages here yet. `say …` writes one.")


def people(sb: Sandbox, args: str = "") -> None:
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("handle", "name", "time zone", "their time", ""):
        table.add_column(column, style="dim" if column == "" else None)
    for person in sb.state.people.values():
        flags = [flag for flag, on in (("you", person.id == sb.me.id), ("admin", person.is_admin),
                                       ("deactivated", person.deleted), ("bot", person.is_bot)) if on]
        table.add_row(f"@{person.name}", person.real_name, person.tz,
                      f"{sb.local(person):%a %H:%M}", ", ".join(flags))
    with sb.console.capture() as captured:
        sb.console.print(table)
    for line in captured.get().splitlines():  # without the table's trailing padding
        sb.console.print(Text.from_ansi(line.rstrip()), soft_wrap=True)


def move_time(sb: Sandbox, args: str) -> None:
    me, now = sb.me, sb.ws.clock()
    try:
        then = parse_when(args, now, me.tz)
    except WhenError as e:
        raise LineError(str(e)) from None
    if then < now:
        raise LineError(f"The clock only moves forward; it is {sb.local():%a %d %b %Y %H:%M} for you.")
    sb.say(f"⏰ Moving the clock to {sb.local(at=then):%a %d %b %Y %H:%M} for {me.name} ({me.tz}). "
           "Mutual's scheduler runs at each moment something falls due on the way…", "bold")

    def show(moment: Moment) -> None:
        with sb.console.capture() as captured:
            for line in moment.failed:
                sb.say(f"· {line}", "yellow")
            sb.report()
        shown = captured.get()
        if shown.strip() and not moment.last:  # a moment nobody here saw anything at is skipped
            sb.note(f"⏱ {sb.local(at=moment.at):%a %d %b %H:%M}")
        if shown:
            sb.console.print(Text.from_ansi(shown), end="", soft_wrap=True)

    advance(sb.ws, then, show)
    sb.say(f"⏰ It is now {sb.local():%a %d %b %Y %H:%M} for {me.name}.", "bold")
    _held(sb)


def _held(sb: Sandbox) -> None:
    for held in sb.ws.waiting():
        person = sb.state.people.get(held.recipient)
        if person is None:
            where = sb.render.where(held.recipient, sb.me.id)
            sb.note(f"· a post for {where} waits until {sb.local(at=held.due):%a %d %b %H:%M} (your time)")
            continue
        when = f"{sb.local(person, held.due):%a %d %b %H:%M} in {person.tz}"
        if held.rate_limited:
            sb.note(f"· a DM for {person.name} waits because Slack asked Mutual to slow down "
                    f"(HTTP 429): it goes at {when}")
        elif held.for_working_hours:
            sb.note(f"· a DM for {person.name} waits for their working hours: {when}")
        elif held.reason:
            sb.note(f"· a DM for {person.name} is tried again at {when} (Slack answered: {held.reason})")
        else:
            sb.note(f"· a DM for {person.name} is due {when}")


FAULTS_HELP = ("`slack down` / `slack up`, `slack 429 <method> [times] [seconds]`, `slack fail <method> "
               "<error> [times]`, `slack slow <method> <seconds> [times]`, `slack reset`, `slack status`")


def slack(sb: Sandbox, args: str) -> None:
    """Make the simulated Slack misbehave, to watch how Mutual copes (all of it simulated)."""
    words = args.split()
    fake = sb.ws.slack
    verb = words[0].lower() if words else "status"
    try:
        if verb == "down":
            fake.down()
            sb.say("Simulated outage: the local Slack now refuses every connection. Mutual's calls "
                   "fail as they would if Slack were unreachable. `slack up` ends it.", "yellow")
        elif verb == "up":
            fake.up()
            sb.say("The simulated Slack answers again.", "green")
        elif verb == "429" and len(words) >= 2:
            times = int(words[2]) if len(words) > 2 else 1
            wait = int(words[3]) if len(words) > 3 else 1
            fake.rate_limit(words[1], times=times, retry_after=wait)
            sb.say(f"The next {times} call(s) to {words[1]} get HTTP 429 (Retry-After: {wait}).", "yellow")
        elif verb == "fail" and len(words) >= 3:
            times = int(words[3]) if len(words) > 3 else 1
            fake.fail(words[1], words[2], times=times)
            sb.say(f"The next {times} call(s) to {words[1]} answer error {words[2]}.", "yellow")
        elif verb == "slow" and len(words) >= 3:
            times = int(words[3]) if len(words) > 3 else 1
            fake.hang(words[1], float(words[2]), times=times)
            sb.say(f"The next {times} call(s) to {words[1]} take {words[2]} s to answer.", "yellow")
        elif verb == "reset":
            fake.reset()
            fake.up()
            sb.say("The simulated Slack behaves normally again.", "green")
        elif verb == "status":
            state = "answering" if fake.is_up else "down (refusing connections)"
            sb.say(f"Simulated Slack at {fake.api_url}: {state}; {len(fake.calls)} calls from Mutual so far.")
        else:
            raise LineError(f"Try {FAULTS_HELP}.")
    except ValueError:
        raise LineError(f"Numbers, please: {FAULTS_HELP}.") from None


def mention_names(sb: Sandbox) -> list[str]:
    return [f"@{p.name}" for p in sb.state.people.values() if p.id != BOT_USER_ID]
