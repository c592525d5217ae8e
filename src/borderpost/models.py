"""Every domain's tables, imported once so the metadata (and Alembic) sees them all."""

from borderpost import idempotency  # noqa: F401
from borderpost.admission import models as admission_models  # noqa: F401
from borderpost.audit import access as audit_access  # noqa: F401
from borderpost.audit import models as audit_models  # noqa: F401
from borderpost.auth import models as auth_models  # noqa: F401
from borderpost.auth import throttle as auth_throttle  # noqa: F401
from borderpost.cargo import models as cargo_models  # noqa: F401
from borderpost.clearance import models as clearance_models  # noqa: F401
from borderpost.crossing import models as crossing_models  # noqa: F401
from borderpost.db import Base
from borderpost.screening import models as screening_models  # noqa: F401
from borderpost.transit import models as transit_models  # noqa: F401
from borderpost.traveller import models as traveller_models  # noqa: F401

metadata = Base.metadata
