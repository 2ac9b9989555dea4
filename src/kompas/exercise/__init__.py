"""The space exercise programme (issue 29, items 2-4): the multi-annual plan (:mod:`kompas.exercise.plan`), the master
scenario events list and its scenario templates (:mod:`kompas.exercise.msel`), and the after-action review with its
lessons (:mod:`kompas.exercise.review`). Pure engines: :mod:`kompas.exercise.load` is the only module that reads
files (through :mod:`kompas.files`).
"""
