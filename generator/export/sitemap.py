"""sitemap.xml (every page, with its language versions) and robots.txt pointing at it."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator import urls
from generator.model import Site
from generator.publish import Output

SKIPPED = frozenset({"404.html"})


def sitemap_files(site: Site, paths: list[str]) -> list[Output]:
    """Built from the paths of the pages written, so it lists exactly what exists."""
    pages = sorted(
        path.removesuffix("index.html")
        for path in paths
        if path.endswith(".html") and path not in SKIPPED
    )
    existing = set(pages)
    languages = site.config.languages
    base = site.config.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    history = site.history or {}
    for page in pages:
        lines.append(f"  <url><loc>{escape(base + page)}</loc>")
        head, _, rest = page.partition("/")
        section, _, record = rest.rstrip("/").partition("/")
        if section == urls.SUBJECTS and record in history:
            lines.append(f"    <lastmod>{history[record].last.isoformat()}</lastmod>")
        if head in languages:
            for lang in languages:
                other = f"{lang}/{rest}"
                if other in existing:
                    href = quoteattr(base + other)
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href={href}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    robots = f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
    return [
        Output("sitemap.xml", ("\n".join(lines) + "\n").encode()),
        Output("robots.txt", robots.encode()),
    ]
