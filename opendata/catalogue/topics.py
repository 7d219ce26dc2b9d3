"""The catalogue's topic groups with the labels people see (Indonesian, English)."""

from __future__ import annotations

TOPIC_LABELS: dict[str, tuple[str, str]] = {
    "kesehatan": ("Kesehatan", "Health"),
    "pendidikan": ("Pendidikan", "Education"),
    "infrastruktur": ("Infrastruktur", "Infrastructure"),
    "kependudukan": ("Kependudukan", "Population"),
    "teknologi-informasi": ("Teknologi Informasi", "Information technology"),
    "perencanaan": ("Perencanaan", "Planning"),
    "kebencanaan": ("Kebencanaan", "Disasters"),
    "lingkungan": ("Lingkungan Hidup", "Environment"),
    "ekonomi": ("Ekonomi", "Economy"),
    "sosial": ("Sosial", "Social affairs"),
    "keuangan": ("Keuangan", "Public finance"),
}

CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "PERIODIC": ("Informasi berkala", "Periodic information"),
    "IMMEDIATE": ("Informasi serta-merta", "Immediate information"),
    "ON_REQUEST": ("Informasi tersedia setiap saat", "Information available at any time"),
    "EXEMPT": ("Informasi dikecualikan", "Exempt information"),
}


def topic_label(topic: str) -> tuple[str, str]:
    """(Indonesian, English) label; unknown topics are shown as written."""
    fallback = topic.replace("-", " ").capitalize()
    return TOPIC_LABELS.get(topic, (fallback, fallback))
