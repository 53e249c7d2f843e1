"""The patient kiosk: a stack of screens showing what the check-in service announces.

Data flows one way: a screen emits an intent, the window forwards it to the check-in
service (`kiosk.check_in`), the service moves the visit and announces it, and the window
shows the screen for the new step. Where the visit goes, storing, holding and the idle
policy are the service's; the window decides only what is on screen, where the keyboard's
focus goes and what is read aloud. Each visit has new screens (built while Welcome waits,
`ui.next_visit`), destroyed when it ends: nothing of one patient is left for the next.

`KioskWindow(None, settings, card=...)` paints Welcome from its card before storage has
loaded (`ui.kiosk_frame`); `storage_ready` takes up the check-in service. So what needs
SQLAlchemy is imported where it is first used, never when this module is.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal

from kiosk.clock import Clock, utc_now
from kiosk.settings import Settings
from kiosk.welcome_card import WelcomeCard
from ui.errands import DatabaseErrands
from ui.kiosk_frame import KioskFrame
from ui.patient_display import PatientDisplay
from ui.slots import calling
from ui.widgets.keyboard_access import announce, can_take_focus, leave
from ui.widgets.notice_overlay import NoticeOverlay

# The visit's model and the voice are imported where they are first used, after
# Welcome's first frame (see ui.kiosk_app).
if TYPE_CHECKING:
    from kiosk.actor import StaffMember
    from kiosk.check_in import CheckIn, NextVisit, VisitEnd
    from kiosk.content import ContentPack
    from kiosk.station import Station
    from kiosk.visit import KioskTiming, Visit
    from ui.held_visit_retries import HeldVisitRetries
    from ui.help_request import HelpRequestNotice
    from ui.next_visit import NextVisitScreens
    from ui.read_aloud import ReadAloud
    from ui.risk_notice import RiskNotice
    from ui.screens.patient_screen import PatientScreen
    from ui.visit_screens import VisitScreens
    from ui.visit_voice import VisitVoice
    from ui.widgets.slide_pictures import SlidePictures
    from ui.widgets.still_there import StillThere

log = logging.getLogger(__name__)


class KioskWindow(KioskFrame):
    """The waiting-room kiosk.

    Signals:
        visit_stored(str): a finished visit is safely in the database (its ID).
        visit_held(str): the database could not take a finished visit; it waits on
            this machine (or, if even that failed, in memory) and is stored later.
        visit_ended: the kiosk is back at Welcome, with no visit in memory.
        held_visits_tried: the visits that wait were tried again (stored or not).
        content_read: the content in use was read again for Welcome and the next visit.
        storage_loaded: the check-in service is taken up (at once, unless the window
            was opened before storage with Welcome's card).
    """

    visit_stored = Signal(str)
    visit_held = Signal(str)
    visit_ended = Signal()
    held_visits_tried = Signal()
    content_read = Signal()
    storage_loaded = Signal()

    # Taken up with storage (`storage_ready`).
    check_in: CheckIn
    station: Station
    asking: StillThere
    help_request: HelpRequestNotice
    risk_notice: NoticeOverlay
    risk: RiskNotice
    voice: VisitVoice
    retries: HeldVisitRetries
    next_screens: NextVisitScreens
    slide_pictures: SlidePictures

    def __init__(
        self,
        station: Station | None,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        timing: KioskTiming | None = None,
        assisted_by: StaffMember | None = None,
        read_aloud: ReadAloud | None = None,
        card: WelcomeCard | None = None,
    ) -> None:
        """With no `station`, Welcome shows `card` until `storage_ready` is called."""
        super().__init__(settings, clock=clock, assisted_by=assisted_by, card=card)
        self._read_aloud = read_aloud
        self.welcome.start_requested.connect(self._begin_visit)
        self.welcome.language_chosen.connect(self._choose_language)
        self.welcome.larger_text_requested.connect(self._larger_text)
        self.welcome.contrast_requested.connect(self._other_contrast)
        self.problem_notice.dismissed.connect(self._reset)
        for timer in (self.problem_timer, self.done_timer):
            timer.timeout.connect(self._reset)
        if station is None:
            self._show_welcome()
            return
        # Where the visit goes, storing, holding and the idle policy are the check-in
        # service's decisions; this window shows what it announces and forwards taps.
        check_in = station.check_in(settings, clock=clock, timing=timing, errands=DatabaseErrands())
        # Read once before any patient can tap; from then on, off the screen's thread.
        check_in.content()
        self.storage_ready(station, check_in)

    def storage_ready(self, station: Station, check_in: CheckIn) -> None:
        """Take up the check-in service, whose content has been read once; Welcome shows it,
        and a Start tapped meanwhile goes on to the details screen."""
        from ui.held_visit_retries import HeldVisitRetries
        from ui.help_request import HelpRequestNotice
        from ui.next_visit import NextVisitScreens
        from ui.read_aloud import ReadAloud
        from ui.risk_notice import RiskNotice
        from ui.visit_screens import VisitScreens
        from ui.visit_voice import VisitVoice
        from ui.widgets.slide_pictures import SlidePictures
        from ui.widgets.still_there import StillThere

        self.station, self.check_in = station, check_in
        # The content's pictures (never anything of a patient's), kept between visits.
        self.slide_pictures = SlidePictures()
        check_in.listen(self)
        # "Read to me": one voice for every visit, if the clinic allows speech and the
        # computer has a voice.
        self.read_aloud = self._read_aloud or ReadAloud(
            enabled=self.settings.read_aloud, engine=self.settings.speech_engine, parent=self
        )
        # The next visit's screens, built while Welcome waits.
        self.next_screens = NextVisitScreens(
            self, lambda: VisitScreens.building(typed_signature=self.settings.typed_signature)
        )
        self.read_aloud.became_available.connect(self._prepare_next_visit)
        self.help_request = HelpRequestNotice(
            check_in, self.help_notice, before=self.read_aloud.stop, focus=self._focus_notice
        )
        self.visit_ended.connect(self.help_request.stop)
        # A PHQ-9 answer about self-harm (`kiosk.risk`): what the desks did, in calm words.
        self.risk_notice = NoticeOverlay(self.central)
        self.risk = RiskNotice(
            check_in,
            self.risk_notice,
            before=self.read_aloud.stop,
            focus=self._focus_notice,
            # Held on this kiosk: tried again with the held visits (made just below).
            held=lambda: self.retries.visit_held(),  # noqa: PLW0108 - not made yet
        )
        self.visit_ended.connect(self.risk.stop)
        self.asking = StillThere(
            check_in.idle,
            self.central,
            step=lambda: self.visit.step if self.visit is not None else None,
            listening=lambda: self.read_aloud.speaking,
            focus_notice=self._focus_notice,
        )
        self.asking.nobody_came_back.connect(self._reset)
        self.voice = VisitVoice(
            self.read_aloud,
            self.stack,
            self.asking,
            screens=lambda: self.screens,
            language=self._visit_language,
            tell=self._focus_notice,
            notice=self.help_notice,
        )
        # A problem stays above the still-there cover made after it.
        self.problem_notice.raise_()
        # What tests and the screen tour look at.
        self.still_there, self.idle_timer = self.asking.notice, self.asking.idle_timer
        for timer in (self.problem_timer, self.done_timer):
            timer.setInterval(self.timing.done_seconds * 1000)
        # Keys are watched from Welcome's first frame on, or from now if it has not been
        # painted yet: before the window's own listener, which is asked first.
        self.keyboard_use.start()
        self._listen_to_input()
        self._ready = True
        self._show_welcome(check_in.last_content, read_again=False)
        self.retries = HeldVisitRetries(check_in, self)
        self.retries.tried.connect(self._held_visits_tried)
        if self._start_waiting:
            self._start_waiting = False
            self.welcome.start_button.setDown(False)
            if self.welcome.start_button.isVisible() and self.welcome.start_button.isEnabled():
                self._begin_visit()
        self.storage_loaded.emit()

    # --- the check-in service's news ------------------------------------------------------
    @property
    def visit(self) -> Visit | None:
        """The visit at the screen, if any (the check-in service holds it)."""
        return self.check_in.visit if self._ready else None

    @property
    def timing(self) -> KioskTiming:
        """When the kiosk acts by itself (the check-in service's)."""
        return self.check_in.timing

    @timing.setter
    def timing(self, timing: KioskTiming) -> None:
        self.check_in.timing = timing
        self.check_in.idle.timing = timing

    def _notices(self) -> list[NoticeOverlay]:
        if not self._ready:
            # Before storage: the still-there and risk notices are not made yet (a Tab on
            # Welcome's first frame asked for them and stopped with an error).
            return super()._notices()
        return [self.problem_notice, self.still_there, self.help_notice, self.risk_notice]

    def visit_changed(self, visit: Visit) -> None:
        """The service moved the visit: show its step."""
        self._show_step()

    def visit_finished(self, end: VisitEnd) -> None:
        """The visit reached Done: "saving" at once, then stored, held or refused."""
        from kiosk.check_in import Outcome

        if end.outcome is Outcome.STORED:
            self.visit_stored.emit(end.visit_id)
        elif end.kept_on_kiosk:
            self.retries.visit_held()
            self.visit_held.emit(end.visit_id)
        screens, visit = self.screens, self.visit
        if screens is None or visit is None or visit.id != end.visit_id:
            return
        self.asking.stop()
        if end.outcome is Outcome.REFUSED:
            # A bug, not a database that will come back: say so plainly.
            self._show_problem(
                self.tr(
                    "Sorry, we could not save your check-in. Please go to the front "
                    "desk — we'll be glad to help."
                )
            )
            return
        screens.done.show_end(end)
        if end.outcome is Outcome.SAVING:
            self._change_screen(screens.done)

    def _outcome_shown(self) -> None:
        # Finish waited while saving: now it is where a keyboard user's focus goes.
        if self.screens is not None:
            self._place_focus(self.screens.done)
        self.done_timer.start()

    def held_visit_stored(self, visit_id: str) -> None:
        """A visit that waited on this kiosk reached the database."""
        self.visit_stored.emit(visit_id)

    def store_held_visits(self) -> None:
        """Try again to store the visits that wait; never while a patient is at the screen."""
        self.retries.try_now()

    def _held_visits_tried(self) -> None:
        if self.stack.currentWidget() is self.welcome:
            self._show_welcome()
        self.held_visits_tried.emit()

    def _show_welcome(self, content: ContentPack | None = None, *, read_again: bool = True) -> None:
        """Welcome with the content last read; a fresh read follows, off the screen's thread
        (unless `read_again` is False: it was read just now). Before storage has loaded,
        Welcome from its card."""
        if not self._ready:
            card, paused = self._card, self._card is None or not self._card.open
        else:
            if content is None:
                content = self.check_in.last_content
                if read_again:
                    self.check_in.refresh_content(self._content_read)
            if content is not self.welcome_content or self._welcome_card is None:
                self._welcome_card = None if content is None else WelcomeCard.of(content, open=True)
            self.welcome_content, card, paused = content, self._welcome_card, self.check_in.paused
        if card is not None and self.language not in card.languages:
            self.language = card.language
        self.welcome.show_check_in(card, self.language, paused=paused)
        self.stack.setCurrentWidget(self.welcome)
        focused = self.focusWidget()
        if focused is None or not (self.welcome.isAncestorOf(focused) and can_take_focus(focused)):
            self._place_focus(self.welcome)
        if self._ready and content is None:
            self._check_in_not_working()
        self._prepare_next_visit()

    def _prepare_next_visit(self) -> None:
        """Build the next visit's screens while Welcome waits (see `ui.next_visit`)."""
        if not self._ready or self.visit is not None or self.screens is not None:
            return
        from ui.next_visit import screens_for

        next_visit = self.check_in.next_visit(self.language)
        if next_visit is None:
            self.next_screens.discard()
            return
        voice = self.read_aloud.available_for(next_visit.language)
        fitted = lambda screens: self._fit(screens, next_visit)  # noqa: E731 - named for width
        self.next_screens.prepare(screens_for(next_visit, self.display, voice), fitted)

    def _content_read(self, content: ContentPack | None) -> None:
        # Only new content changes Welcome: rebuilding its buttons under a finger would
        # make a tap on them miss.
        if content is not self.welcome_content and self.stack.currentWidget() is self.welcome:
            self._show_welcome(content)
        self.content_read.emit()

    def _check_in_not_working(self) -> None:
        self._show_problem(
            self.tr(
                "Sorry, check-in is not working right now. Please go "
                "to the front desk — we'll be glad to help."
            )
        )

    def show_display(self, display: PatientDisplay) -> None:
        """Larger text, high contrast or both, until the visit ends."""
        self.display = display
        self.setStyleSheet("" if display.is_default else display.style_sheet())
        if self.screens is not None:
            self.screens.fit_display(larger_text=self.display.text_size > 1)
        else:
            self._prepare_next_visit()
        # Larger text means more to read on every screen: more time before "Are you
        # still there?" (chosen before storage loaded: applied again at Start).
        if display.text_size > 1 and self._ready:
            from kiosk.check_in import LARGER_TEXT_TIME_FACTOR

            self.asking.wait_longer(LARGER_TEXT_TIME_FACTOR)

    def _larger_text(self) -> None:
        self.show_display(self.display.larger_text())

    def _other_contrast(self) -> None:
        self.show_display(self.display.other_contrast())

    def _choose_language(self, language: str) -> None:
        self.language = language
        self._show_welcome()
        if self.keyboard_use.in_use:
            # The language's button is gone, rebuilt in the new language: on to Start.
            self._place_focus(self.welcome)
            return
        # Welcome's title, the clinic's name, may read the same in every language, and a
        # screen reader says nothing when the focus stays where it was: the welcome's
        # words take it, and say in the new language what to do.
        announce(self.welcome.explanation)

    def _begin_visit(self) -> None:
        if not self._ready:
            # Storage is still loading: Start stays pressed, and the details screen follows
            # as soon as it has loaded (`storage_ready`).
            self._start_waiting = True
            self.welcome.start_button.setDown(True)
            return
        visit = self.check_in.start(
            language=self.language,
            assisted_by=self.assisted_by.username if self.assisted_by is not None else None,
        )
        if visit is None:
            self._check_in_not_working()
            return
        self.language = visit.language
        self.asking.reset()
        from kiosk.check_in import NextVisit
        from ui.next_visit import screens_for
        from ui.visit_screens import VisitScreens

        begun = NextVisit(visit.content, visit.language, visit.typed_signature_allowed)
        voice = self.read_aloud.available_for(visit.language)
        screens = self.next_screens.take(screens_for(begun, self.display, voice))
        if screens is None:
            # None were built ahead (Start tapped the moment Welcome came back): now.
            screens = VisitScreens.build(typed_signature=self.settings.typed_signature)
            self._fit(screens, begun)
        self.screens = screens
        if not self.display.is_default:
            # Larger text chosen on Welcome: more time before "Are you still there?".
            self.show_display(self.display)
        self.screens.details.begin()
        self._show_step()

    def recover_from_unexpected_error(self) -> None:
        """After a bug: a calm word to the patient, and the kiosk starts over (nothing kept)."""
        if self.visit is not None:
            self.visit.abandon()
        self._show_problem(self.tr("Sorry, something went wrong — please tell the front desk."))

    def _show_problem(self, text: str) -> None:
        """A calm message to the patient; the kiosk starts over by itself after a while."""
        if self._ready:
            self.asking.stop()
        self.problem_notice.show_notice(
            text,
            self.tr("OK"),
            descriptions=(
                self.tr("Closes this message; check-in starts again from the beginning."),
                "",
            ),
        )
        self._focus_notice(self.problem_notice)
        self.problem_timer.start()

    def _fit(self, screens: VisitScreens, visit: NextVisit) -> None:
        """A visit's new screens into the stack, their taps to the service, fitted to the
        visit's language, display and content (built ahead, or at Start)."""
        available = self.read_aloud.available_for(visit.language)
        for screen in screens.all():
            self.stack.addWidget(screen)
            screen.back_requested.connect(self._on_back_requested)
            screen.help_requested.connect(self.help_request.start)
            screen.larger_text_requested.connect(self._larger_text)
            screen.contrast_requested.connect(self._other_contrast)
            screen.read_aloud_requested.connect(calling(self.voice.read_to_me))
            screen.offer_read_aloud(available=available)
        screens.send_taps_to(self.check_in)
        screens.slide.next_allowed.connect(self._on_next_allowed)
        screens.done.finished.connect(self._reset)
        screens.done.outcome_shown.connect(self._outcome_shown)
        if not self.display.is_default:
            # Larger text chosen on Welcome: the new screens' fields put labels above.
            screens.fit_display(larger_text=self.display.text_size > 1)
        shown = visit.content.in_language(visit.language)
        screens.lay_out(shown, paper=self.assisted_by is not None, typed=visit.typed_signature)
        # Decoded now, so that no slide freezes while its picture decodes.
        self.slide_pictures.prepare(visit.content.pictures)

    # --- showing the visit's step -------------------------------------------------------
    def _show_step(self) -> None:
        visit, screens = self.visit, self.screens
        if visit is None or screens is None:
            return
        from kiosk.visit import Step
        from ui.visit_screens import signed_by_line

        step = visit.step
        if step is Step.WELCOME:
            # Back from the details: the same patient, still using keys if they were.
            using_keys = self.keyboard_use.in_use
            self._reset()
            self.keyboard_use.in_use = using_keys
            self._place_focus(self.welcome)
            return
        screen = screens.show_step(
            visit,
            self.check_in.problems,
            self.slide_pictures,
            # Only consent shows it: not formatted on every slide.
            signed_by=(
                signed_by_line(visit, self.clock(), self.settings.zone)
                if step is Step.CONSENT
                else ""
            ),
        )
        if screen is None:
            # Done: the service stores the visit and says how (visit_finished).
            return
        self._change_screen(screen)
        self.asking.restart()

    def _change_screen(self, screen: PatientScreen) -> None:
        # Reading stops with the screen it belongs to.
        self.read_aloud.stop()
        # Also when the same screen shows the next slide or question; not when a tap
        # changed nothing under the finger (the visit says which: its page).
        page = (screen, self.visit.page if self.visit is not None else None)
        self.tap_guard.page_shown(page, self.timing.double_tap_guard_seconds)
        leave(self.stack.currentWidget(), screen)
        self.stack.setCurrentWidget(screen)
        self._place_focus(screen)

    def _reset(self) -> None:
        """Back to Welcome with the visit and every patient screen gone."""
        for timer in (self.done_timer, self.problem_timer):
            timer.stop()
        for notice in (self.help_notice, self.problem_notice):
            notice.hide()
        self.check_in.end()
        self.asking.reset()
        # Not a word of this visit may still be heard by the next patient.
        self.read_aloud.stop()
        if not self.display.is_default:
            self.show_display(PatientDisplay())
        # The next patient starts in the clinic's own language.
        self.language = ""
        # The next patient starts with a finger, as with the display.
        self.keyboard_use.in_use = False
        self.welcome.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.screens is not None:
            # Welcome first: the visit's screens stay in the stack until deleted.
            self.stack.setCurrentWidget(self.welcome)
            self.screens.destroy()
            self.screens = None
        self._show_welcome()
        self.visit_ended.emit()

    # --- the patient's taps ----------------------------------------------------------------
    def _on_back_requested(self) -> None:
        from kiosk.visit import Step

        if (
            self.visit is not None
            and self.screens is not None
            and self.visit.step is Step.RIDE_HOME
        ):
            # Back to consent means signing again: the old ink must not stay on the pad.
            self.screens.consent.clear_signature()
        self.check_in.back()

    def _visit_language(self) -> str:
        return self.visit.language if self.visit is not None else self.language

    def _on_next_allowed(self) -> None:
        # A patient using keys who waited on the slide with nothing to press: Next now.
        screens = self.screens
        if screens is None or self.stack.currentWidget() is not screens.slide:
            return
        focused = self.focusWidget()
        if focused is None or focused is screens.slide or not can_take_focus(focused):
            self._place_focus(screens.slide)

    # --- nobody at the screen ----------------------------------------------------------------
    def _closing(self) -> None:
        if self._ready:
            self.read_aloud.stop()
            self.asking.stop()
            self.retries.stop()

    def _touched(self) -> None:
        self.asking.touched()
