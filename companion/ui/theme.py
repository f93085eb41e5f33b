"""The calm theme: one dark, low-contrast, muted Textual theme that every screen uses.

Colours are chosen for a dim room at arm's length: a near-black blue-grey background,
soft warm-grey text (never pure white), and muted sage, slate and sand accents. No colour
here is saturated enough to draw the eye suddenly; warnings and errors are dusty, not red
alarms. Screens and widgets refer to the theme's variables (`$primary`, `$panel`,
`$text-muted`, ...) and never to hex values, so the palette lives only in this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

THEME_NAME = "companion-calm"

CALM_THEME = Theme(
    name=THEME_NAME,
    primary="#7f9c8f",  # muted sage: focus, the current phase
    secondary="#6f7f99",  # slate blue: secondary accents
    accent="#b8a585",  # soft sand: keys in the footer, small highlights
    warning="#b09a6e",  # dusty ochre: notices that need a look, never an alarm
    error="#a3787a",  # dusty rose: something failed, said quietly
    success="#8a9f83",  # moss
    foreground="#c4c0b6",  # warm grey text, not white
    background="#15181c",  # near black with a little blue
    surface="#1b1f24",
    panel="#22272d",
    boost="#2a3037",
    dark=True,
    luminosity_spread=0.08,  # narrower than Textual's default: less contrast between shades
    text_alpha=0.9,
    variables={
        "footer-key-foreground": "#b8a585",
        "footer-background": "#1b1f24",
        "footer-description-foreground": "#9a978f",
        # The highlighted row of a list (the phase to jump to): a muted sage, dark enough
        # to stay calm, light enough to be seen at once (grey 240 on 234 in 256 colours).
        "block-cursor-background": "#4d6359",
        "block-cursor-foreground": "#d8d4ca",
        "block-cursor-text-style": "none",
        "input-selection-background": "#3a4a44 60%",
        "scrollbar": "#2a3037",
        "scrollbar-hover": "#343b43",
        "scrollbar-active": "#3e4650",
        "scrollbar-background": "#15181c",
        "border": "#3e4650",
        "border-blurred": "#2a3037",
    },
)
"""The one calm theme. Register it with `App.register_theme(CALM_THEME)`."""


def apply_calm_theme(app: "App") -> None:
    """Register the calm theme on `app` and switch to it (for apps other than the session app)."""
    if THEME_NAME not in app.available_themes:
        app.register_theme(CALM_THEME)
    app.theme = THEME_NAME
