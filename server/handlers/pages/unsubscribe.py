"""The unsubscribe page a mail links to: GET asks, POST (the page's button, or a mail client's
RFC 8058 one-click POST) stops that one kind of mail. The signed token is the only credential."""
from server.services.outbound import mail
from server.services.outbound.letters import KIND_WORDS
from server.handlers.pages.page import Page
from server.store.database import read_transaction
from server.store.times import utcnow

TOKEN = r"([0-9]{1,12}\.[a-z_]{1,16}\.[0-9]{1,6}\.[A-Za-z0-9_-]{1,64})"


class UnsubscribePage(Page):
    admin_only = False

    def check_xsrf_cookie(self):
        """A mail client's one-click POST carries no cookie: the signed token authorizes it, and
        all it can do is stop one kind of mail."""

    def check_trusted_origin(self, _origin):
        return True

    def get(self, token):
        with read_transaction():
            user, kind = mail.token_target(token, utcnow())
        self.render("unsubscribe.html", token=token, words=KIND_WORDS[kind],
                    done=kind in mail.kinds_off(user))  # never the address: a link may be forwarded

    async def post(self, token):
        user, kind = await self.svc.writer.submit(mail.unsubscribe, token)
        self.render("unsubscribe.html", token=token, words=KIND_WORDS[kind], done=True)


routes = [
    (r"/unsubscribe/" + TOKEN, UnsubscribePage),
]
