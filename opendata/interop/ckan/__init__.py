"""The read side of the CKAN Action API (`/api/3/action/<name>`), for harvesters and `ckanapi`."""
