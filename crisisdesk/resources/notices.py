"""Notices the app shows about what it ships (the About box)."""

COMPLAINT_MODEL_NOTICE = (
    "The complaint recogniser's weights were learned from the complaints data set of"
    ' Preoţiuc-Pietro, Găman and Aletras, "Automatically Identifying Complaints in Social'
    ' Media", ACL 2019. No tweet from it is shipped; the recogniser then learns from your own'
    " corrections on this computer only."
)
