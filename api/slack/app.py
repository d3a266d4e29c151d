"""The Slack app: a slack-bolt `App` built from the `Kennisbank`, served over HTTP events
(`mount_slack`: POST /slack/events in the FastAPI app) or Socket Mode
(`socket_mode_handler`, run by `kennisbank slack`).

The listeners are plain module-level functions registered by `register`, so both transports
run the very same code. Bolt runs them in its thread pool and answers Slack as soon as they
acknowledge (process_before_response=False): events are acknowledged before the listener
starts, commands and button presses call `ack()` first. Each answer is posted as "zoeken..."
at once and then updated with the answer.
"""

import logging
from dataclasses import dataclass

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt import App, BoltContext
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers

from api.access_map import AccessMap
from api.slack.access import SlackAccess
from api.slack.format import (
    APOLOGY,
    FEEDBACK_ACTION,
    INVITE_FIRST,
    SEARCHING,
    SHARE_ACTION,
    THANKS,
    UNKNOWN_ANSWER,
    answer_blocks,
    notification_text,
    question_from_slack,
    question_problem,
    shared_by,
)
from assistant.caller import Caller, Channel
from assistant.service import InvalidQuestion, Kennisbank
from core.settings import Settings

log = logging.getLogger(__name__)

SLASH_COMMAND = "/kennisbank"
# Where the middleware leaves the services for the listeners in bolt's per-request context.
_SERVICES = "kennisbank_services"
# Message subtypes that are a person writing (not edits, deletions, joins, bot posts).
_PERSON_WRITING = {None, "file_share", "thread_broadcast"}
CHANNEL: Channel = "slack"
# Why Slack refuses a private answer in a channel the app was not invited to.
_NOT_A_MEMBER = {"channel_not_found", "not_in_channel"}


class SlackNotConfigured(Exception):
    """A transport was asked for without the tokens it needs; the message names them."""


@dataclass(frozen=True)
class SlackServices:
    """What the listeners need: the assistant and who may see what."""

    kennisbank: Kennisbank
    access: SlackAccess


def build_slack_app(kennisbank: Kennisbank) -> App:
    """The bolt app with its Web API client (at SLACK_API_URL) and listeners. Nothing is
    sent to Slack here: the bot's own identity (auth.test) is looked up on the first event."""
    settings = kennisbank.settings
    if not settings.slack_bot_token:
        raise SlackNotConfigured("the Slack app needs SLACK_BOT_TOKEN (xoxb-...)")
    base_url = (
        settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    )
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = App(
        token=settings.slack_bot_token.get_secret_value(),
        signing_secret=signing_secret,
        token_verification_enabled=False,
        process_before_response=False,
        logger=log,
    )
    # Set here rather than by passing `client=`: bolt then warns "token will be unused"
    # whenever SLACK_BOT_TOKEN is in the environment, which is where it belongs. Bolt copies
    # the base URL into the client of every request.
    app.client.base_url = base_url
    access = SlackAccess.from_file(settings.slack_access_file, AccessMap.from_file(settings.access_file))
    register(app, SlackServices(kennisbank, access))
    return app


def register(app: App, services: SlackServices) -> None:
    """Attach the services and the listeners to `app`."""

    def provide_services(context: BoltContext, next) -> None:
        context[_SERVICES] = services
        next()

    app.use(provide_services)
    app.event("app_mention")(answer_mention)
    app.event("message")(answer_message)
    app.command(SLASH_COMMAND)(answer_command)
    app.action(SHARE_ACTION)(share_answer)
    app.action(FEEDBACK_ACTION)(store_feedback)


def mount_slack(app: FastAPI, kennisbank: Kennisbank) -> None:
    """Serve Slack's events, slash command and button presses at POST /slack/events, when
    SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set; otherwise do nothing."""
    settings = kennisbank.settings
    if not (settings.slack_bot_token and settings.slack_signing_secret):
        if settings.slack_bot_token or settings.slack_signing_secret:
            log.warning("Slack events are off: set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET")
        return
    bolt_app = build_slack_app(kennisbank)
    app.state.slack_app = bolt_app
    verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if not _signed_by_slack(verifier, body, request.headers):
            # Checked before bolt sees the request: bolt parses the body and the timestamp
            # first and answers a malformed unsigned request with a 500 and a traceback.
            return JSONResponse({"detail": "invalid or missing Slack signature"}, status_code=401)
        try:
            bolt_request = to_bolt_request(request, body)  # parses the JSON or form body
        except ValueError:
            return JSONResponse(
                {"detail": "the body is not a Slack event, command or action"}, status_code=400
            )
        # bolt's FastAPI adapter calls `dispatch` on the event loop, but dispatch blocks (it
        # may call auth.test and it waits for ack()), so it runs in the thread pool here.
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)


def _signed_by_slack(verifier: SignatureVerifier, body: bytes, headers: Headers) -> bool:
    """True when the request carries a valid Slack signature of a timestamp within five
    minutes (Slack's rule); a timestamp that is not a number is simply not valid."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12 and signature):
        return False
    return verifier.is_valid(body, timestamp, signature)


def check_socket_mode_settings(settings: Settings) -> None:
    """Raise `SlackNotConfigured` naming what Socket Mode lacks (checked before the index is opened)."""
    missing = [
        name
        for name, value in (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("SLACK_APP_TOKEN", settings.slack_app_token),
        )
        if not value  # unset or empty
    ]
    if missing:
        raise SlackNotConfigured(f"Socket Mode needs {' and '.join(missing)} (see api/slack/manifest.yml)")


def socket_mode_handler(kennisbank: Kennisbank) -> SocketModeHandler:
    """The Socket Mode transport of the same app (not yet connected: call `.start()`)."""
    check_socket_mode_settings(kennisbank.settings)
    return SocketModeHandler(
        build_slack_app(kennisbank), kennisbank.settings.slack_app_token.get_secret_value()
    )


# --- listeners -------------------------------------------------------------------------


def answer_mention(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
    """A mention in a channel: answered in the message's thread, from public documents."""
    if _from_a_bot(event):
        return
    channel, root = event["channel"], event.get("thread_ts") or event["ts"]
    _answer_in_thread(
        context[_SERVICES],
        client,
        event_id=body.get("event_id"),
        channel=channel,
        thread_ts=root,
        text=event.get("text", ""),
        caller=_in_channel(channel),
        conversation_id=_conversation_id(channel, root),
    )


def answer_message(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
    """A DM (answered in the DM with the user's groups), or a reply in a channel thread the
    app answered (a follow-up in that thread's conversation, public documents only).
    Replies that mention the app are left to `answer_mention`."""
    if event.get("subtype") not in _PERSON_WRITING or _from_a_bot(event):
        return
    services: SlackServices = context[_SERVICES]
    channel, thread = event["channel"], event.get("thread_ts")
    if event.get("channel_type") == "im":
        user = event["user"]
        caller = Caller.member(f"slack:{user}", services.access.groups_for(user, client))
        conversation_id = _conversation_id(channel, thread)
    elif (
        thread
        and thread != event["ts"]
        and f"<@{context.bot_user_id}>" not in event.get("text", "")
        and _app_answered_in(client, channel, thread, context.bot_user_id)
    ):
        caller, conversation_id = _in_channel(channel), _conversation_id(channel, thread)
    else:
        return
    _answer_in_thread(
        services,
        client,
        event_id=body.get("event_id"),
        channel=channel,
        thread_ts=thread,
        text=event.get("text", ""),
        caller=caller,
        conversation_id=conversation_id,
    )


def answer_command(ack, command: dict, client: WebClient, context: BoltContext, respond) -> None:
    """`/kennisbank VRAAG`: answered privately (ephemeral) with the user's groups, with a
    button to share the answer in the channel."""
    services: SlackServices = context[_SERVICES]
    kennisbank = services.kennisbank
    try:
        question = kennisbank.checked(question_from_slack(command.get("text", "")))
    except InvalidQuestion as exc:
        ack(text=question_problem(exc))
        return
    ack(text=SEARCHING)  # Slack shows the acknowledgement to the user at once
    channel, user = command["channel_id"], command["user_id"]
    try:
        caller = Caller.member(f"slack:{user}", services.access.groups_for(user, client))
        answer = kennisbank.ask(question, caller=caller, channel=CHANNEL)
        client.chat_postEphemeral(
            channel=channel,
            user=user,
            text=notification_text(answer),
            blocks=answer_blocks(answer, kennisbank.settings.public_url, shareable=True),
        )
    except Exception as exc:
        # Replies go through response_url: it works even where the app is not a member.
        if isinstance(exc, SlackApiError) and exc.response.get("error") in _NOT_A_MEMBER:
            respond(INVITE_FIRST)
            return
        # The boundary of one request: log it for operators, tell the user, keep serving.
        log.exception("Slack %s failed in channel %s", SLASH_COMMAND, channel)
        respond(APOLOGY)


def share_answer(ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    """ "Deel in kanaal" under a private answer: the question is answered again in the
    channel, from public documents only (a channel never sees restricted documents, even
    when the asker's private answer used them)."""
    ack()
    user, channel = body["user"]["id"], body["channel"]["id"]
    _answer_in_thread(
        context[_SERVICES],
        client,
        event_id=None,
        channel=channel,
        thread_ts=None,
        text=action["value"],
        caller=_in_channel(channel),
        conversation_id=None,
        intro=shared_by(user, action["value"]),
    )


def store_feedback(ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    """👍/👎 under an answer: stored like the web feedback, confirmed to the user only."""
    ack()
    services: SlackServices = context[_SERVICES]
    rating = FEEDBACK_ACTION.match(action["action_id"]).group(1)
    stored = services.kennisbank.state.record_feedback(action["value"], rating, None, channel=CHANNEL)
    client.chat_postEphemeral(
        channel=body["channel"]["id"],
        user=body["user"]["id"],
        thread_ts=body.get("message", {}).get("thread_ts"),
        text=THANKS if stored else UNKNOWN_ANSWER,
    )


# --- the answering flow ----------------------------------------------------------------


def _answer_in_thread(
    services: SlackServices,
    client: WebClient,
    *,
    event_id: str | None,
    channel: str,
    thread_ts: str | None,
    text: str,
    caller: Caller,
    conversation_id: str | None,
    intro: str | None = None,
) -> None:
    """Post "zoeken..." in the thread (top level when `thread_ts` is None), then replace it
    with the answer. An event is answered once, however often Slack delivers it."""
    kennisbank = services.kennisbank
    if event_id and not kennisbank.state.claim_once(f"slack-event:{event_id}"):
        log.info("Slack event %s was already answered; ignoring the repeat", event_id)
        return
    try:
        question = kennisbank.checked(question_from_slack(text))
    except InvalidQuestion as exc:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=question_problem(exc))
        return
    placeholder = None
    try:
        placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=SEARCHING)
        answer = kennisbank.ask(
            question,
            caller=caller,
            channel=CHANNEL,
            conversation_id=conversation_id or _conversation_id(channel, placeholder["ts"]),
        )
        client.chat_update(
            channel=channel,
            ts=placeholder["ts"],
            text=notification_text(answer),
            blocks=answer_blocks(answer, kennisbank.settings.public_url, intro=intro),
        )
    except Exception:
        # The boundary of one event: log it for operators, tell the user, keep serving.
        log.exception("Slack answer failed (event %s, channel %s)", event_id or "-", channel)
        if placeholder is not None:
            client.chat_update(channel=channel, ts=placeholder["ts"], text=APOLOGY, blocks=[])
        else:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=APOLOGY)


def _in_channel(channel: str) -> Caller:
    """Whoever asks in a channel asks as the channel: public documents only, whatever
    their groups, since everyone in it reads the answer, and a thread's conversation is
    the channel's, so any member's reply in it is a follow-up."""
    return Caller.member(f"slack:{channel}")


def _conversation_id(channel: str, thread_ts: str | None) -> str:
    """One conversation per Slack thread (per DM outside threads)."""
    return f"slack:{channel}:{thread_ts}" if thread_ts else f"slack:{channel}"


def _from_a_bot(event: dict) -> bool:
    """Other bots (and this app: bolt also drops its own events) are never answered."""
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"


def _app_answered_in(client: WebClient, channel: str, thread_ts: str, bot_user_id: str | None) -> bool:
    """True when the app posted in the thread: only then is a plain reply a follow-up.
    Slack is the record of this (it survives restarts and is the same for every worker)."""
    try:
        pages = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
        return any(message.get("user") == bot_user_id for page in pages for message in page["messages"])
    except SlackApiError as exc:
        log.warning(
            "cannot read thread %s in %s (%s); not answering", thread_ts, channel, exc.response.get("error")
        )
        return False
