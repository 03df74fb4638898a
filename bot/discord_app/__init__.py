"""The Discord adapter: a thin layer over the core (conversation, curation, triage).

Named ``discord_app`` so that it never shadows the ``discord`` package it adapts.
"""
