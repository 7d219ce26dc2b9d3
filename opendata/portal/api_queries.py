"""The GraphQL query behind each page ("API untuk halaman ini"): the same data, as JSON.

Each page links to its query in GraphiQL and to its JSON answer (GET /graphql?query=...);
the page benchmark times each page against its query.
"""

from __future__ import annotations

HOME = """query Home($first: Int) {
  datasets(orderBy: RECENTLY_UPDATED, first: $first) {
    totalCount
    edges { node { slug title category modified agency { slug name } } }
    facets { topic { value label count } }
  }
  agencies(first: 100) { totalCount edges { node { slug name acronym } } }
}"""

SEARCH = """query Search($query: String, $filter: DatasetFilter, $first: Int, $after: String) {
  datasets(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    edges { highlight node { slug title description category modified agency { slug name } } }
    facets {
      agency { value label count } topic { value label count }
      year { value count } format { value count }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""

DATASET = """query Dataset($slug: String!) {
  dataset(slug: $slug) {
    slug title description license category access modified topics keywords
    agency { slug name }
    exemptions { basis scope target consequenceTest decisionReference decidedOn expiresOn }
    resources {
      name format downloadUrl
      fields { name type title withheld }
      rows(first: 20) { totalCount edges { node } }
    }
  }
}"""

AGENCY = """query Agency($slug: String!) {
  agency(slug: $slug) {
    slug name acronym
    datasets(first: 100) { totalCount edges { node { slug title category access modified } } }
  }
}"""

REGISTER = """query Register($filter: RequestFilter, $first: Int, $after: String) {
  informationRequests(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { node {
      registrationNumber agency { slug name } informationRequested status decision
      receivedAt dueOn overdue
    } }
  }
}"""

REQUEST = """query Request($number: String!) {
  informationRequest(registrationNumber: $number) {
    registrationNumber agency { slug name } informationRequested purpose deliveryForm
    status decision answer receivedAt dueOn workingDaysLeft overdue
    timeline { at status note actorRole }
  }
}"""

DEADLINE = """query Deadline($start: Date!, $days: Int!) {
  addWorkingDays(start: $start, days: $days)
}"""

STATISTICS = """query Statistics($year: Int!, $agency: String) {
  serviceReport(year: $year, agency: $agency) {
    year agency { slug name }
    requestsReceived granted partiallyGranted refused notHeld notYetDocumented withdrawn pending
    answeredLate averageWorkingDaysToAnswer refusalsByBasis { basis count }
    objections objectionsUpheld objectionsRejected objectionsPending disputes disputesDecided
    lines { receivedOn decision workingDays late }
  }
  agencies(first: 100) { edges { node { slug name } } }
}"""
