"""Every interactive control on every screen has a name a screen reader can say (Qt's accessibility interface,
as Orca reads it), and no state is told by colour alone."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget
from screens import tour

INTERACTIVE = {
    QAccessible.Role.PushButton,
    QAccessible.Role.CheckBox,
    QAccessible.Role.RadioButton,
    QAccessible.Role.ComboBox,
    QAccessible.Role.EditableText,
    QAccessible.Role.SpinBox,
    QAccessible.Role.Slider,
    QAccessible.Role.List,
    QAccessible.Role.Table,
    QAccessible.Role.Tree,
    QAccessible.Role.PageTabList,
    QAccessible.Role.ButtonMenu,
    QAccessible.Role.ButtonDropDown,
    QAccessible.Role.Link,
}


def _describe(widget: QWidget) -> str:
    parent = widget.parentWidget()
    where = f" in {type(parent).__name__} {parent.objectName()!r}" if parent is not None else ""
    return f"{type(widget).__name__} {widget.objectName()!r}{where}"


def unnamed_controls(top: QWidget) -> list[str]:
    """The visible interactive widgets under ``top`` (itself included) whose accessible name is empty."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible() or widget.objectName().startswith("qt_"):  # Qt's own parts (scroll areas)
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None or interface.role() not in INTERACTIVE:
            continue
        if not interface.text(QAccessible.Text.Name).strip():
            found.append(_describe(widget))
    return found


def test_every_control_on_every_screen_has_an_accessible_name(shell, settings, sandbox, run, until) -> None:
    missing: dict[str, list[str]] = {}
    screens: list[str] = []
    for screen in tour(shell, settings, run, until, sandbox.url):
        screens.append(screen.name)
        unnamed = unnamed_controls(screen.widget)
        if unnamed:
            missing[screen.name] = unnamed
    assert len(screens) >= 12, screens
    assert not missing, "\n".join(f"{name}: {control}" for name, controls in missing.items() for control in controls)
