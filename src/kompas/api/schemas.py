"""Response models shared by the API's route modules."""

from pydantic import BaseModel


class RejectionOut(BaseModel):
    source: str
    line: int
    field: str
    reason: str
    value: str
