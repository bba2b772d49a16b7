"""`broadsheet cache [--info] [--clean]`: what the cache of converted photos holds, and
cleaning it (the policy itself is layout.fonts.cache)."""
from __future__ import annotations

import click

from ..fonts.cache import MAX_ENV, CacheError, cache_root, clean, max_bytes, megabytes, usage


@click.command("cache")
@click.option("--info", "show", is_flag=True,
              help="Show where the cache is and what it holds (the default).")
@click.option("--clean", "wipe", is_flag=True,
              help="Remove converted photos not in use, temp files, and font copies an earlier "
                   "Broadsheet made.")
def cache_command(show: bool, wipe: bool) -> None:
    """The cache of converted photos: what it holds, and cleaning it."""
    root = cache_root()
    try:
        limit = max_bytes()
    except CacheError as e:
        raise click.UsageError(str(e)) from None
    if wipe:
        removed, freed = clean(root)
        click.echo(f"cache {root}: removed {len(removed)} file(s), {megabytes(freed)} freed")
    if show or not wipe:
        u = usage(root)
        click.echo(f"cache {root}")
        click.echo(f"  photos: {u.photos} converted, {megabytes(u.photo_bytes)} "
                   f"(bound {megabytes(limit)}, {MAX_ENV}; least recently used evicted first)")
        click.echo(f"  other:  {megabytes(u.other_bytes)}")
        if u.old_face_bytes:
            click.echo(f"  old font copies: {megabytes(u.old_face_bytes)} (made by an earlier "
                       "Broadsheet, unused: `broadsheet cache --clean` removes them)")
