"""triagebot: cited community answers and red-flag referrals for fitness and physio servers."""

__version__ = "0.1.0"
