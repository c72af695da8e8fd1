"""'Thuis': what residents need beyond a bed — composition, school places, GP registrations,
inburgering, work and municipal staff per stream, month and wijk (the layer beside ``portfolio``).

The entry point is :func:`onderdak.thuis.result.thuis_for_run`; its parameters are
:class:`onderdak.case.thuis.ThuisSettings`.
"""
