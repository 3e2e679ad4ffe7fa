from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat invites city coordinators from the admin."""

    def is_open_for_signup(self, request):
        return False
