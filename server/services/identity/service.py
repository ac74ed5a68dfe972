"""Identity: the sign-in configuration one application holds (built by make_app), the clients of
its providers and the worker threads their blocking calls run on."""
import asyncio
import concurrent.futures

from server.services.identity import config
from server.services.identity.providers import oidc


class Identity:
    def __init__(self, settings):
        config.check(settings)  # a bad setting stops the start here, with its name
        self.settings = settings
        self.oidc_config = config.oidc_of(settings)
        self.oidc = oidc.Client(self.oidc_config) if self.oidc_config else None
        self.ldap = None
        if settings["ldap_url"]:
            from server.services.identity.providers.ldap import Directory
            self.ldap = Directory(settings)
        self.pool = concurrent.futures.ThreadPoolExecutor(4, thread_name_prefix="tracker-idp")

    def run(self, fn, *args):
        """Run a blocking provider call on the identity threads; await the answer."""
        return asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    def close(self):
        self.pool.shutdown(wait=False)
