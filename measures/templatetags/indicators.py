from django import template

from measures.indicators import figure as figure_text

register = template.Library()


@register.filter
def figure(value) -> str:
    """An indicator's value: at most two decimals, no trailing zeros, localised."""
    return figure_text(value)
