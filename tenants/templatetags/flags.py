from django import template

from tenants.flags import feature_enabled as _feature_enabled

register = template.Library()


@register.simple_tag(takes_context=True)
def feature_enabled(context: template.Context, key: str) -> bool:
    """{% feature_enabled "insights" as on %}{% if on %}…{% endif %}"""
    request = context.get("request")
    return _feature_enabled(getattr(request, "tenant", None), key)
