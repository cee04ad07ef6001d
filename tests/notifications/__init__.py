"""Tests of reminders, notifications and the Celery wiring."""


def use_broker(app, url, options=None):
    """Point the Celery app at another broker, dropping pooled connections to the old one."""
    app.conf.broker_url = url
    app.conf.broker_transport_options = options or {}
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps one producer pool per connection URL process-wide; a closed one must not be
    # handed out again when a later test points at the same URL.
    from kombu import pools

    pools.reset()
