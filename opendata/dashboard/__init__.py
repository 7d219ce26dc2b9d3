"""The Smart City dashboard: panels as data (`config`), their figures (`figures`), and the
information-service figures (`service_figures`), for `/dasbor` and `/statistik`."""
