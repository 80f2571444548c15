"""WCAG colour maths: luminance, contrast, and the banner's colours picked to stay readable."""

# The luminance above which white text on a colour falls under 4.5:1 and black text reaches it.
LIGHT = 0.179
BLACK = "#000"
WHITE = "#fff"
# Links on a light accent: dark, but not black, so they still read as links beside text.
DARK_LINK = "#1a1a1a"


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rgb or #rrggbb colour."""
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    total = 0.0
    for weight, i in zip((0.2126, 0.7152, 0.0722), (0, 2, 4), strict=True):
        c = int(digits[i : i + 2], 16) / 255
        c = c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        total += weight * c
    return total


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme(accent: str) -> dict[str, str]:
    """The banner's colours: the accent, the text on it and links (on the white banner), each
    keeping 4.5:1 contrast (a light accent gets dark links). ``accent`` is a checked #rgb or
    #rrggbb colour. The banner turns them into its CSS custom properties.

    Text on a light accent is black: just above the switch-over, where white falls under
    4.5:1, only black still reaches it (#111 gave 4.1:1)."""
    light = luminance(accent) > LIGHT
    return {
        "accent": accent,
        "on_accent": BLACK if light else WHITE,
        "link": DARK_LINK if light else accent,
    }
