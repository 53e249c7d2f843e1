"""What a screen reader or a switch meets on the accessibility bus (AT-SPI on Linux).

Qt describes each widget to assistive technology through an accessible interface. For a
few of the kiosk's widgets Qt's own description says something other than what the
patient sees, so this module gives them their own:

- Push buttons: the first ("default") action a switch or screen reader uses is Press,
  and it does what a tap does. Qt gives a checkable button (an answer, a consent
  statement, Shift, a month) the action Toggle first, which ticks it without emitting
  `clicked`: nothing was recorded and the screen never moved on. A press through the bus
  is also input like a tap: it sends `ASSISTIVE_INPUT` to the button first, which the
  kiosk counts against "Are you still there?".
- Screen titles are headings (`mark_heading`), named by their words.
- Notices are dialogs or alerts (`mark_notice`), named as the caller says; the
  signature pad is a canvas (`mark_role`).
- A button that draws its own words with child labels (a consent statement) is one
  node, its words said once (`speak_as_one`); decorative marks inside it are not read.
- Each of these says its widget's language (the visit's, set on the kiosk's window), as
  Qt's own descriptions do: a screen reader picks its voice by it. Without it Qt gives
  the process's default language, which the front desk shares with a check-in at the
  desk.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAccessible, QAccessibleAttributesInterface, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QApplication, QLabel, QPushButton, QWidget

from kiosk.overriding import override

ASSISTIVE_INPUT = QEvent.Type(QEvent.registerEventType())
"""Sent to a control an assistive technology is about to press: input like a tap."""

_ROLE = "accessibleRole"
_AS_ONE = "accessibleAsOne"
_PRESS = "Press"
_installed = False


def _install() -> None:
    global _installed  # noqa: PLW0603 - Qt keeps one list of factories for the process
    if not _installed:
        QAccessible.installFactory(_interface_for)
        _installed = True


def mark_heading(label: QLabel) -> None:
    """`label` is a screen's title: a heading, named by its words."""
    _install()
    label.setProperty(_ROLE, QAccessible.Role.Heading.value)
    _renew(label)


def mark_notice(widget: QWidget, role: QAccessible.Role) -> None:
    """`widget` is a notice over the screen: a dialog or an alert (`role`)."""
    _install()
    widget.setProperty(_ROLE, role.value)
    _renew(widget)


def _renew(widget: QWidget) -> None:
    """Qt made `widget`'s accessible description already (setting its words does, while a
    screen reader listens): replace it by the kiosk's, which knows the role."""
    if not QAccessible.isActive():
        # Nobody listens: Qt has made none, and asks the kiosk's factory when it does.
        # (Asking here made one for every title, which stayed after its screen: eleven a
        # visit, 1,000 visits' worth was 7 % more memory.)
        return
    made = QAccessible.queryAccessibleInterface(widget)
    if made is not None and made.role() != QAccessible.Role(widget.property(_ROLE)):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(made))


def mark_role(widget: QWidget, role: QAccessible.Role) -> None:
    """`widget` is a `role` (the signature pad, a canvas) rather than an empty panel."""
    mark_notice(widget, role)


def mark_choice(button: QPushButton) -> None:
    """`button` is one of a set of answers: a radio button, checked when it is the answer."""
    _install()
    button.setProperty(_ROLE, QAccessible.Role.RadioButton.value)


def speak_as_one(button: QPushButton) -> None:
    """`button` shows its words in child labels: one node, its name said once."""
    _install()
    button.setProperty(_AS_ONE, True)


def prepare() -> None:
    """Give every push button made from now on the kiosk's accessible description."""
    _install()


def _interface_for(class_name: str, target: QObject) -> QAccessibleInterface | None:
    if not isinstance(target, QWidget):
        return None
    role = target.property(_ROLE)
    if isinstance(target, QPushButton) and target.menu() is None:
        return _Button(target)
    if role is None:
        return None
    if isinstance(target, QLabel):
        return _Label(target, QAccessible.Role(role))
    return _Widget(target, QAccessible.Role(role))


class _Widget(QAccessibleWidget, QAccessibleAttributesInterface):
    """A widget in a `role`, saying its widget's language (the visit's)."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        QAccessibleWidget.__init__(self, widget, role)
        QAccessibleAttributesInterface.__init__(self)
        # The widget is asked for each time, never kept: Qt keeps this description
        # after the widget is gone, and a reference here kept the widget's Python object
        # alive with it (eleven a visit).

    @override
    def interface_cast(self, t: QAccessible.InterfaceType) -> int:
        if t == QAccessible.InterfaceType.AttributesInterface:
            # In PySide6 each C++ base is an object of its own: the attributes' one is the
            # second of this object's C++ pointers.
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self)[1])  # type: ignore[return-value]
        cast = QAccessibleWidget.interface_cast(self, t)
        # None for an interface it does not have: Qt must get a null pointer, not None.
        return shiboken6.VoidPtr(0) if cast is None else cast

    @override
    def attributeKeys(self) -> list[QAccessible.Attribute]:
        return [QAccessible.Attribute.Locale]

    @override
    def attributeValue(self, key: QAccessible.Attribute) -> object:
        return self.widget().locale() if key == QAccessible.Attribute.Locale else None


class _Label(_Widget):
    """A label with another role (a heading): named by its words."""

    def __init__(self, label: QLabel, role: QAccessible.Role) -> None:
        super().__init__(label, role)

    @override
    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            label = self.widget()
            assert isinstance(label, QLabel)
            return label.accessibleName() or label.text()
        return super().text(t)


class _Button(_Widget):
    """A push button whose default action is what a tap does (`click`)."""

    def __init__(self, button: QPushButton) -> None:
        super().__init__(button, QAccessible.Role.Button)

    @property
    def _button(self) -> QPushButton:
        button = self.widget()
        assert isinstance(button, QPushButton)
        return button

    @override
    def role(self) -> QAccessible.Role:
        # Asked each time: Qt may make this before the button is marked or made checkable.
        role = self._button.property(_ROLE)
        if role is not None:
            return QAccessible.Role(role)
        return QAccessible.Role.CheckBox if self._button.isCheckable() else QAccessible.Role.Button

    @property
    def _as_one(self) -> bool:
        return bool(self._button.property(_AS_ONE))

    @override
    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            # As Qt names a button: its accessible name, else its words (no "&" marks).
            return self._button.accessibleName() or self._button.text().replace("&&", "&")
        return super().text(t)

    @override
    def state(self) -> QAccessible.State:
        state = super().state()
        if self._button.isCheckable():
            state.checkable = True
            state.checked = self._button.isChecked()
        if self._button.isDown():
            state.pressed = True
        return state

    @override
    def childCount(self) -> int:
        return 0 if self._as_one else super().childCount()

    @override
    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None if self._as_one else super().child(index)

    @override
    def actionNames(self) -> list[str]:
        names = [_PRESS] if self._button.isEnabled() else []
        return names + [n for n in super().actionNames() if n != _PRESS]

    @override
    def doAction(self, action_name: str) -> None:
        button = self._button
        if action_name != _PRESS:
            super().doAction(action_name)
            return
        if not button.isEnabled() or not button.isVisible():
            return
        QApplication.sendEvent(button, QEvent(ASSISTIVE_INPUT))
        button.click()

    @override
    def keyBindingsForAction(self, action_name: str) -> list[str]:
        return [] if action_name == _PRESS else super().keyBindingsForAction(action_name)
