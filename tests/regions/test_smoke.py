def test_start_page_lists_the_healthcare_regions(client, mellansverige, sodra):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sjukvårdsregion Mellansverige" in response.content.decode()
