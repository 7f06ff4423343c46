"""Sending the outbox: the kinds of message, the run that claims and sends rows, and the
background deliverer every `mutual run` keeps going."""
