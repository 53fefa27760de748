"""The `auth` group: OAuth2 sign-in for Microsoft 365 and Gmail."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from inbox_worker.commands.common import State, pass_state


@click.group()
def auth() -> None:
    """OAuth2 sign-in for Microsoft 365 and Gmail (auth = "oauth2" in the config)."""


@auth.command("login")
@pass_state
def auth_login(state: State) -> None:
    """Sign in once; every poll after that refreshes the tokens by itself.

    Microsoft (and providers with a device flow): prints a web address and a
    code; open the address on any device, enter the code and sign in as the
    mailbox user. Works over SSH. Google: prints an address to open; after
    signing in the browser lands on a page that does not load: paste its
    address here.

    \b
    Example:
        inbox-worker --config config.toml auth login
    """
    from inbox_worker.mail.oauth2 import for_config

    tokens = for_config(state.config)
    if tokens.uses_device_flow:
        code = tokens.start_device_login()
        click.echo(f"To sign in, open {code.verification_uri}")
        click.echo(f"and enter the code {code.user_code}")
        click.echo(f"(waiting up to {code.expires_in // 60 or 1} minutes) ...")
        status = tokens.finish_device_login(code)
    else:
        login = tokens.start_code_login()
        click.echo("To sign in, open this address in a browser:")
        click.echo()
        click.echo(login.url)
        click.echo()
        click.echo(
            f"After signing in, the browser goes to {login.redirect_uri}, a page that "
            "will not load. Copy that page's whole address from the address bar."
        )
        pasted = click.prompt("Address", prompt_suffix=": ")
        status = tokens.finish_code_login(login, pasted)
    click.echo(f"Signed in as {status.account}; tokens saved in {status.path}")


@auth.command("status")
@pass_state
def auth_status(state: State) -> None:
    """Show the signed-in account, its scopes and when the refresh token was last used.

    Exits 1 when nobody is signed in.

    \b
    Example:
        inbox-worker --config config.toml auth status
    """
    from inbox_worker.errors import NotSignedIn
    from inbox_worker.mail.oauth2 import for_config

    tokens = for_config(state.config)
    status = tokens.status()
    if status is None:
        raise NotSignedIn(f"OAuth2: {tokens.user} is not signed in; run 'inbox-worker auth login'")
    now = datetime.now(UTC)
    idle = status.idle(now).days
    click.echo(f"{'account:':<26}{status.account}")
    click.echo(f"{'provider:':<26}{status.provider}")
    click.echo(f"{'scopes:':<26}{' '.join(status.scopes)}")
    click.echo(f"{'signed in:':<26}{status.signed_in:%Y-%m-%d %H:%M %Z}")
    click.echo(
        f"{'refresh token last used:':<26}{status.refresh_used:%Y-%m-%d %H:%M %Z}"
        f" ({idle} day{'s' if idle != 1 else ''} ago)"
    )
    if status.access_expires is not None:
        click.echo(f"{'access token expires:':<26}{status.access_expires:%Y-%m-%d %H:%M %Z}")
    click.echo(f"{'token cache:':<26}{status.path}")


@auth.command("logout")
@pass_state
def auth_logout(state: State) -> None:
    """Forget the stored tokens (revoke the app's access at the provider as well).

    \b
    Example:
        inbox-worker --config config.toml auth logout
    """
    from inbox_worker.mail.oauth2 import for_config

    tokens = for_config(state.config)
    if tokens.logout():
        click.echo(f"Signed out: removed {tokens.store.path}")
    else:
        click.echo(f"Not signed in (no {tokens.store.path}).")
